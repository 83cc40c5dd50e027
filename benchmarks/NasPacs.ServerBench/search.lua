-- wrk script: each request is the next of a mix of searches the UI makes (instant search, filters, sorts, pages).
local queries = {
  "/api/search",
  "/api/search?q=synth",
  "/api/search?q=P0042",
  "/api/search?q=NP-004217",
  "/api/search?q=brain&modality=MR",
  "/api/search?q=chest+axial",
  "/api/search?modality=CT&sort=patient_name",
  "/api/search?from=2025-01-01&to=2025-03-31",
  "/api/search?q=flair&from=2026-01-01",
  "/api/search?sort=-file_count&page=3",
  "/api/search?q=P00&page=2&pageSize=50",
  "/api/search?modality=MR&sort=-study_date&page=10",
}
-- Since sign-in (#8) every route needs a token: NASPACS_TOKEN=<an API token of a viewer> wrk … -s search.lua …
local token = os.getenv("NASPACS_TOKEN")
if token then
  wrk.headers["Authorization"] = "Bearer " .. token
end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", queries[(i % #queries) + 1])
end
