validate
--schema
rnc_includes_rng.rnc
--format
json
letter.xml
