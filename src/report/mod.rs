//! Views over validation results: human, JSON, SARIF 2.1.0, JUnit XML, GitHub annotations.
