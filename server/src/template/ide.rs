//! Editor features over logical ids: go-to-definition, references, completion, document symbols.
