validate
--schema
none
--schematron
include_loop.sch
letter.xml
