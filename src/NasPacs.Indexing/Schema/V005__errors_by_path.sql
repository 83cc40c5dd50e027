-- NasPacs index, schema version 5: the writer forgets what was reported about a file when it reads the file again or
-- removes it (a copy made whole again leaves no error behind), one delete by path per such file.
CREATE INDEX errors_by_path ON errors (path);
