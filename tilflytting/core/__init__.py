"""The base layer: the domain objects every step passes along (`model`), text
folding (`fold`), the one clock (`clock`) and the user's data folder
(`paths`). Imports nothing else of tilflytting."""
