"""The domain's values and their grammars: amounts, targets, document numbers (文号),
citations, bases, funding facts, the indicator framework, the issuer registry and the
matching keys of names; pure functions the extractor calls to normalise what was
printed."""
