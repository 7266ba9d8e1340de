validate
--schema
none
--schematron
bad_xpath.sch
letter.xml
