"""File -> Entry -> store: decode bytes (`decode`), parse pages (`page`,
`periods`) and YAML entries (`yaml_entry`), normalise places and terms
(`normalise`), and import them (`importer`, the only module here that
touches the store)."""
