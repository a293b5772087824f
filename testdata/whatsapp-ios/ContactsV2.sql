-- WhatsApp's copy of the address book, ContactsV2.sqlite, for chatferry's
-- tests: Carla, whom the group knows by her first name only, is saved with
-- her full name; Hana's privacy id is paired with her number.
CREATE TABLE ZWAADDRESSBOOKCONTACT (
	Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER,
	ZABOUTTEXT VARCHAR, ZBUSINESSNAME VARCHAR, ZFULLNAME VARCHAR, ZGIVENNAME VARCHAR,
	ZLID VARCHAR, ZPHONENUMBER VARCHAR, ZWHATSAPPID VARCHAR
);
INSERT INTO ZWAADDRESSBOOKCONTACT VALUES
	(1, 1, 1, 'Hey there!', NULL, 'Carla Example', 'Carla', NULL, '+44 7700 900456', '447700900456@s.whatsapp.net'),
	(2, 1, 1, NULL, NULL, 'Hana Example', 'Hana', '11122233344455', '+44 7700 900444', '447700900444');
