validate
--schema
phased.rng
--schematron
letter_rules.sch
--format
svrl
letter.xml
