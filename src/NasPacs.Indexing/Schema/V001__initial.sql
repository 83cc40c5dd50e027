-- NasPacs index, schema version 1. Applied by SchemaMigrator in one transaction; PRAGMA user_version records it.
-- Times are Unix milliseconds (UTC) except files.mtime, which is .NET ticks (UTC) so that an unchanged file compares exactly.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Folders hold the path once; files hold only their name, so 10 million paths do not repeat their parents.
CREATE TABLE folders (
    id   INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE            -- relative to the root, '/' separators, '' for the root
);

CREATE TABLE series (
    id                       INTEGER PRIMARY KEY,
    series_key               TEXT NOT NULL UNIQUE,
    patient_name             TEXT,
    patient_id               TEXT,
    patient_birth_date       TEXT,
    patient_sex              TEXT,
    study_instance_uid       TEXT,
    study_date               TEXT,
    study_time               TEXT,
    study_description        TEXT,
    accession_number         TEXT,
    study_id                 TEXT,
    institution_name         TEXT,
    referring_physician_name TEXT,
    series_instance_uid      TEXT,
    series_number            TEXT,
    series_date              TEXT,
    series_description       TEXT,
    modality                 TEXT,
    body_part_examined       TEXT,
    file_count               INTEGER NOT NULL DEFAULT 0,
    total_bytes              INTEGER NOT NULL DEFAULT 0,
    first_seen               INTEGER NOT NULL,
    last_seen                INTEGER NOT NULL
);
CREATE INDEX series_by_study_date ON series (study_date, study_time);
CREATE INDEX series_by_modality ON series (modality, study_date);
CREATE INDEX series_by_study ON series (study_instance_uid);

-- state: 0 indexed, 1 not DICOM, 2 truncated, 3 malformed, 4 unreadable (IndexedFileState).
CREATE TABLE files (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused: a run's sweep compares ids with the largest at its start
    folder_id           INTEGER NOT NULL REFERENCES folders (id),
    name                TEXT NOT NULL,
    size                INTEGER NOT NULL,
    mtime               INTEGER NOT NULL,
    state               INTEGER NOT NULL,
    series_id           INTEGER REFERENCES series (id),
    sop_instance_uid    TEXT,
    instance_number     INTEGER,
    transfer_syntax_uid TEXT,
    run_id              INTEGER NOT NULL,                    -- the run that last read the file
    UNIQUE (folder_id, name)
);
CREATE INDEX files_by_series ON files (series_id, instance_number);

CREATE VIEW file_paths AS
SELECT f.id, CASE WHEN d.path = '' THEN f.name ELSE d.path || '/' || f.name END AS path,
       f.size, f.mtime, f.state, f.series_id, f.sop_instance_uid, f.instance_number, f.transfer_syntax_uid, f.run_id
FROM files f JOIN folders d ON d.id = f.folder_id;

CREATE TABLE runs (
    id              INTEGER PRIMARY KEY,
    root            TEXT NOT NULL,
    started_at      INTEGER NOT NULL,
    ended_at        INTEGER,
    outcome         TEXT NOT NULL,                           -- running, completed, cancelled, failed, interrupted
    enumerated      INTEGER NOT NULL DEFAULT 0,
    processed       INTEGER NOT NULL DEFAULT 0,
    new_files       INTEGER NOT NULL DEFAULT 0,
    modified_files  INTEGER NOT NULL DEFAULT 0,
    unchanged_files INTEGER NOT NULL DEFAULT 0,
    removed_files   INTEGER NOT NULL DEFAULT 0,
    not_dicom_files INTEGER NOT NULL DEFAULT 0,
    errors          INTEGER NOT NULL DEFAULT 0,
    bytes_read      INTEGER NOT NULL DEFAULT 0
);

-- The design's ErrorReport: error_type (category), error_code, message, suggestion, file_path, timestamp, retry_count.
CREATE TABLE errors (
    id           INTEGER PRIMARY KEY,
    run_id       INTEGER NOT NULL REFERENCES runs (id),
    category     TEXT NOT NULL,
    code         TEXT NOT NULL,
    message      TEXT NOT NULL,
    suggestion   TEXT NOT NULL,
    path         TEXT,
    timestamp    INTEGER NOT NULL,
    retry_count  INTEGER NOT NULL,
    is_transient INTEGER NOT NULL
);
CREATE INDEX errors_by_run ON errors (run_id);
CREATE INDEX errors_by_category ON errors (category);

-- Full text over the fields people search by; external content, kept in step by the triggers below.
CREATE VIRTUAL TABLE series_fts USING fts5 (
    patient_name, patient_id, accession_number, study_description, series_description,
    content = 'series', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER series_fts_insert AFTER INSERT ON series BEGIN
    INSERT INTO series_fts (rowid, patient_name, patient_id, accession_number, study_description, series_description)
    VALUES (new.id, new.patient_name, new.patient_id, new.accession_number, new.study_description, new.series_description);
END;

CREATE TRIGGER series_fts_delete AFTER DELETE ON series BEGIN
    INSERT INTO series_fts (series_fts, rowid, patient_name, patient_id, accession_number, study_description, series_description)
    VALUES ('delete', old.id, old.patient_name, old.patient_id, old.accession_number, old.study_description, old.series_description);
END;

-- Only text changes touch the full-text index; the frequent file_count updates do not.
CREATE TRIGGER series_fts_update AFTER UPDATE OF patient_name, patient_id, accession_number, study_description, series_description ON series BEGIN
    INSERT INTO series_fts (series_fts, rowid, patient_name, patient_id, accession_number, study_description, series_description)
    VALUES ('delete', old.id, old.patient_name, old.patient_id, old.accession_number, old.study_description, old.series_description);
    INSERT INTO series_fts (rowid, patient_name, patient_id, accession_number, study_description, series_description)
    VALUES (new.id, new.patient_name, new.patient_id, new.accession_number, new.study_description, new.series_description);
END;
