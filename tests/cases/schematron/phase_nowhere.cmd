validate
--schema
none
--schematron
no_phases.sch
--phase
dates
letter.xml
