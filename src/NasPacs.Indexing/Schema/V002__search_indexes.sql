-- NasPacs index, schema version 2: an index behind every sort the search offers, alone and with a modality filter, so
-- that "ORDER BY … LIMIT 50" walks an index and stops after 50 rows instead of sorting every match. Each index ends
-- (implicitly) with the rowid, the search's tie-breaker, so a page is served by the index in either direction.

-- The default order: study date, study time, series number as a number (IndexQuery's ORDER BY uses the same expression).
DROP INDEX series_by_study_date;
CREATE INDEX series_by_study_order ON series (study_date, study_time, CAST(series_number AS INTEGER));
DROP INDEX series_by_modality;
CREATE INDEX series_by_modality_study_order ON series (modality, study_date, study_time, CAST(series_number AS INTEGER));

CREATE INDEX series_by_patient_name ON series (patient_name);
CREATE INDEX series_by_modality_patient_name ON series (modality, patient_name);
CREATE INDEX series_by_file_count ON series (file_count);
CREATE INDEX series_by_last_seen ON series (last_seen);

-- Sorting by modality alone: (modality) then rowid. The two modality indexes above cannot serve it, their second column
-- is not the rowid.
CREATE INDEX series_by_modality_only ON series (modality);

-- Full text with prefix indexes for prefixes of 1 to 4 characters: instant search sends "s", "sy", "syn" as a person
-- types, and without them FTS5 merges the rows of every term with that prefix (all series, for "np" or "s") before
-- returning one. The triggers of V001 write to the table by name and keep working. 'rebuild' refills it from series.
DROP TABLE series_fts;
CREATE VIRTUAL TABLE series_fts USING fts5 (
    patient_name, patient_id, accession_number, study_description, series_description,
    content = 'series', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4'
);
INSERT INTO series_fts (series_fts) VALUES ('rebuild');
-- One segment: a search that probes the index row by row seeks once per term instead of once per segment (measured on
-- 100,000 series: 44 µs per probe of two terms before, 8 µs after).
INSERT INTO series_fts (series_fts) VALUES ('optimize');

-- The terms of series_fts, one row per occurrence: IndexQuery lists the terms a longer prefix matches from it (reading
-- the first occurrence of each term only) and searches for those terms instead of the prefix.
CREATE VIRTUAL TABLE series_fts_terms USING fts5vocab (series_fts, instance);
