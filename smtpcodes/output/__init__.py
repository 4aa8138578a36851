"""The output layer: views, rich and plain renderers, JSON, safe text."""
