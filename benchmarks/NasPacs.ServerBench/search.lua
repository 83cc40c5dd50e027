-- wrk script: each request is the next of twelve kinds of search the UI makes (instant search, filters, sorts, pages),
-- with its words, IDs, dates and pages drawn at random from the benchmark corpus's vocabulary (naspacs-serverbench
-- corpus: patients SYNTH^P000000… with IDs NP-000000…, CT chest and MR brain series, study dates 2024–2034), so that
-- a run does not repeat a dozen exact queries.
-- Since sign-in (#8) every route needs a token: NASPACS_TOKEN=<an API token of a viewer> wrk … -s search.lua …
-- PATIENTS (default 10000) is the corpus's patient count; KIND=n (1–12) sends only the n-th kind of search.
local patients = tonumber(os.getenv("PATIENTS") or "10000")

-- word → the modality whose series hold it; pairs of words that occur in the same series.
local words = {
  { "synth", nil }, { "contrast", nil }, { "brain", "MR" }, { "chest", "CT" }, { "axial", "CT" }, { "coronal", "CT" },
  { "mpr", "CT" }, { "flair", "MR" }, { "sag", "MR" }, { "t1", "MR" }, { "t2", "MR" }, { "5mm", "CT" },
}
local pairs_ = {
  "chest+axial", "brain+flair", "brain+t1", "chest+coronal", "contrast+sag", "axial+5mm", "t2+flair", "coronal+mpr",
}
local sorts = { "patient_name", "-patient_name", "-file_count", "file_count", "-last_seen", "study_date", "-study_date", "modality" }

local function pick(list) return list[math.random(#list)] end
local function patient() return math.random(0, patients - 1) end
local function year() return math.random(2024, 2033) end

local kinds = {
  function() return "/api/search" end,
  function() return "/api/search?q=" .. pick(words)[1] end,
  -- a five-character prefix of a patient name: ~100 terms
  function() return string.format("/api/search?q=P%04d", math.floor(patient() / 100)) end,
  function() return string.format("/api/search?q=NP-%06d", patient()) end,
  function()
    local w = pick(words)
    return "/api/search?q=" .. w[1] .. "&modality=" .. (w[2] or pick({ "CT", "MR" }))
  end,
  function() return "/api/search?q=" .. pick(pairs_) end,
  function() return "/api/search?modality=" .. pick({ "CT", "MR" }) .. "&sort=" .. pick(sorts) end,
  function()
    local y, q = year(), math.random(0, 3)
    return string.format("/api/search?from=%d-%02d-01&to=%d-%02d-%02d", y, q * 3 + 1, y, q * 3 + 3, q == 0 and 31 or 30)
  end,
  function() return string.format("/api/search?q=%s&from=%d-01-01", pick(words)[1], year()) end,
  function() return string.format("/api/search?sort=%s&page=%d", pick(sorts), math.random(2, 10)) end,
  -- a three-character prefix (prefix index), deeper pages of 50
  function() return string.format("/api/search?q=P%02d&page=%d&pageSize=50", math.random(0, math.floor((patients - 1) / 100000)), math.random(2, 5)) end,
  function() return string.format("/api/search?modality=%s&sort=-study_date&page=%d", pick({ "CT", "MR" }), math.random(5, 20)) end,
}

local token = os.getenv("NASPACS_TOKEN")
if token then
  wrk.headers["Authorization"] = "Bearer " .. token
end

local counter = 1
function setup(thread)
  thread:set("seed", counter)
  counter = counter + 1
end

local only = tonumber(os.getenv("KIND") or "")
local i = 0
function init(args)
  math.randomseed(os.time() * 100 + (seed or 0))
end

function request()
  i = i + 1
  return wrk.format("GET", kinds[only or ((i % #kinds) + 1)]())
end
