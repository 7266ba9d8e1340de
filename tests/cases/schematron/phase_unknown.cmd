validate
--schema
none
--schematron
letter_rules.sch
--phase
nope
letter.xml
