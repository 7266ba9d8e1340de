validate
--schema
none
--schematron
letter_rules.sch
--format
svrl
letter.xml
