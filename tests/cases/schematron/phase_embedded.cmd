validate
--schema
phased.rng
--phase
dates
--format
json
letter.xml
