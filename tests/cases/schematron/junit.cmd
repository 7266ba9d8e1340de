validate
--schema
none
--schematron
letter_rules.sch
--format
junit
letter.xml
