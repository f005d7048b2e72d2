"""Development tools: what regenerates dbcompat's derived files; nothing at run time imports
them."""
