"""The catalog database: schema and migrations, writes, reads, filters and
kept counts. The only package with SQL; it never prints. Imports `core`
and `reference`."""
