"""Questions asked of the catalog: finding entries (`lookup`, `show`),
`search`, the reports (`reports`), population answers (`population`). Each
returns a result object (`results`) for the report layer; nothing here
prints or knows an output format."""
