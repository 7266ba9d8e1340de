validate
--schema
phased.rng
--format
json
letter.xml
