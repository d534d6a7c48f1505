"""Reference data, read-only: municipalities, counties and regions (`places`),
the controlled vocabulary (`vocabulary`) and SSB's population figures
(`population`). Imports only `core`."""
