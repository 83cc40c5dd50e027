-- NasPacs index, schema version 3: sorting by file count or by last seen after a modality filter walks an index as
-- the other sorts do (V002), instead of sorting every series of the modality (50,000 rows of 100,000: 18–29 ms of CPU
-- per page). SQLite maintains them; each ends (implicitly) with the rowid, the search's tie-breaker.
CREATE INDEX series_by_modality_file_count ON series (modality, file_count);
CREATE INDEX series_by_modality_last_seen ON series (modality, last_seen);
