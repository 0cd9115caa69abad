//! Handler code: resolving a config's `Handler` to a file and a symbol, and checking the symbol's signature.
