validate
--schema
none
--profile
cmif
--phase
dates
letter.xml
