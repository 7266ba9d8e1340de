validate
--schema
none
--schematron
letter_rules.sch
--format
github
letter.xml
