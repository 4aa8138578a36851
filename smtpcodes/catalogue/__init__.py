"""The catalogue layer: load, validate and cache codes.toml and its overlays."""
