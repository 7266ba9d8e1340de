validate
--schema
none
--schematron
document_url.sch
letter.xml
