validate
--schema
none
xml_model.xml
