"""ingest: the nightly job that turns the branch's internal exports into published, de-identified SQLite datasets."""
