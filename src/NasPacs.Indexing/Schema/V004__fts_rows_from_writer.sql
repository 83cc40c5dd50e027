-- NasPacs index, schema version 4: the writer adds the full-text rows of new series itself, with one statement per
-- write transaction, instead of a trigger per inserted series. The trigger ran inside the series INSERT, a statement
-- with a statement journal; FTS5 writes its pending rows to a new segment at every such savepoint, so a first index
-- wrote one segment per series (each with its 1-4 character prefix terms) and merged them again and again: 13 % of a
-- first index's CPU (perf, 20,000 files, 1,249 series). Deleting and updating series keep their triggers (rare).
DROP TRIGGER series_fts_insert;
