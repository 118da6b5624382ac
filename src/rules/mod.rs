//! The rules: prompt-causing combinations, each defined once with its source.
