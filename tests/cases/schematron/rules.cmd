validate
--schema
none
--schematron
letter_rules.sch
letter.xml
