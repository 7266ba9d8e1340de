validate
--schema
none
--schematron
letter_rules.sch
--format
sarif
letter.xml
