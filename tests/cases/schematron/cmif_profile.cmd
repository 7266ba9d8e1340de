validate
--profile
cmif
cmif_rules.xml
