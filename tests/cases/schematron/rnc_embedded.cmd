validate
--schema
phased.rnc
--format
json
letter.xml
