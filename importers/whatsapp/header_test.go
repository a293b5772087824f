package whatsapp

import (
	"fmt"
	"testing"
)

// Every header layout of the format catalog, with the date and time it
// must give in the order given, and the text after the header.
func TestHeaderShapes(t *testing.T) {
	for _, tc := range []struct {
		line  string
		order dateOrder
		want  string // "2006-01-02 15:04:05 | body"
	}{
		// Android
		{"23/03/2022, 13:31 - Messages and calls are end-to-end encrypted.", orderDMY, "2022-03-23 13:31:00 | Messages and calls are end-to-end encrypted."},
		{"1/29/18, 12:24 - Mallory: Hey! :)", orderMDY, "2018-01-29 12:24:00 | Mallory: Hey! :)"},
		{"1/29/18, 12:24 PM - You created group", orderMDY, "2018-01-29 12:24:00 | You created group"},
		{"1/4/23, 7:02\u202fPM - Person 2: <Media omitted>", orderMDY, "2023-01-04 19:02:00 | Person 2: <Media omitted>"},
		{"13/10/2017, 12:12 a.m. - The Joker: And I thought", orderDMY, "2017-10-13 00:12:00 | The Joker: And I thought"},
		{"20/6/2017 8:28 p.\u00a0m. - Michelle: test", orderDMY, "2017-06-20 20:28:00 | Michelle: test"},
		{"01/01/2019, 11:25 a. m. - John Doe: x", orderMDY, "2019-01-01 11:25:00 | John Doe: x"},
		{"29.01.18, 12:24 - Bob: x", orderDMY, "2018-01-29 12:24:00 | Bob: x"},
		{"23.03.2022, 13:31 - Сообщения", orderDMY, "2022-03-23 13:31:00 | Сообщения"},
		{"23.03.22 13:31 - Zprávy", orderDMY, "2022-03-23 13:31:00 | Zprávy"},
		{"23-03-2022 13:31 - Berichten", orderDMY, "2022-03-23 13:31:00 | Berichten"},
		{"7.9.2020, 11:23 - Author A: x", orderDMY, "2020-09-07 11:23:00 | Author A: x"},
		{"2019/01/01, 11:25 - John Doe: x", orderYMD, "2019-01-01 11:25:00 | John Doe: x"},
		{"2022/12/14, 13:34. - John Doe: x", orderYMD, "2022-12-14 13:34:00 | John Doe: x"},
		{"13.6.2018 klo 21.25.15 - Mika: x", orderDMY, "2018-06-13 21:25:15 | Mika: x"},
		{"12/07/2017 à 22:35 - XXX: Salut :)", orderDMY, "2017-07-12 22:35:00 | XXX: Salut :)"},
		{"03/01/2021, 9:15 in the morning - Wolfgang: x", orderDMY, "2021-01-03 09:15:00 | Wolfgang: x"},
		{"03/01/2021, 9:15 in the evening - Wolfgang: x", orderDMY, "2021-01-03 21:15:00 | Wolfgang: x"},
		{"03/01/2021, 12:15 at night - Wolfgang: x", orderDMY, "2021-01-03 00:15:00 | Wolfgang: x"},
		{"9/24/2019 11:30 p.m. - John Doe: x", orderMDY, "2019-09-24 23:30:00 | John Doe: x"},
		{"6/29/23, 12:16 am - User 4: This message was deleted", orderMDY, "2023-06-29 00:16:00 | User 4: This message was deleted"},
		{"15-04-2016, 03:04:10 PM - You created group", orderDMY, "2016-04-15 15:04:10 | You created group"},
		{"\ufeff1/29/18, 12:26 - You changed this group's icon", orderMDY, "2018-01-29 12:26:00 | You changed this group's icon"},
		{"\u200e1/29/18, 12:26 - x", orderMDY, "2018-01-29 12:26:00 | x"},
		// iOS
		{"[3/18/22, 14:56:01] Elon Musk: \u200eMessages", orderMDY, "2022-03-18 14:56:01 | Elon Musk: \u200eMessages"},
		{"[13/11/2025, 12:25:55\u202fPM] Amazon EG: x", orderDMY, "2025-11-13 12:25:55 | Amazon EG: x"},
		{"[11/01/22, 4:19:15 PM] Mycorporation: x", orderMDY, "2022-11-01 16:19:15 | Mycorporation: x"},
		{"[3/18/22 14:56:00] Elon Musk: x", orderMDY, "2022-03-18 14:56:00 | Elon Musk: x"},
		{"[3/18/22 14.56.01] Elon Musk: x", orderMDY, "2022-03-18 14:56:01 | Elon Musk: x"},
		{"[14:56:01, 3/18/22] Musk Elon: x", orderMDY, "2022-03-18 14:56:01 | Musk Elon: x"},
		{"[\u200f18\u200f/3\u200f/2022\u060c 14:56:01] Elon Musk: x", orderDMY, "2022-03-18 14:56:01 | Elon Musk: x"},
		{"[١٨\u200f/٣\u200f/٢٠٢٢\u060c ٢:٥٦:٠٠\u00a0م] \u202a+40 521 028 61 88\u202c: x", orderDMY, "2022-03-18 14:56:00 | \u202a+40 521 028 61 88\u202c: x"},
		{"[3/18/R4, 14:56:01] Elon Musk: x", orderMDY, "2022-03-18 14:56:01 | Elon Musk: x"},
		{"[3/18/2565 BE, 14:56:01] Elon Musk: x", orderMDY, "2022-03-18 14:56:01 | Elon Musk: x"},
		{"[20.06.19, 15:58:47] Loris: x", orderDMY, "2019-06-20 15:58:47 | Loris: x"},
		{"[23.09.2016 17:00:28] Maldamer: x", orderDMY, "2016-09-23 17:00:28 | Maldamer: x"},
		{"[10.21.21, 15:21:45] John Doe: x", orderMDY, "2021-10-21 15:21:45 | John Doe: x"},
		{"[2018/06/13, 21:25:15] a: m", orderYMD, "2018-06-13 21:25:15 | a: m"},
		{"[06/2018/13, 21:25:15] a: m", orderMYD, "2018-06-13 21:25:15 | a: m"},
		{"[13/2018/06, 21:25:15] a: m", orderDYM, "2018-06-13 21:25:15 | a: m"},
		{"[25/09/20 10:27:18 a.m.] name : x", orderDMY, "2020-09-25 10:27:18 | name : x"},
		{"[2016/04/15 15:04] You created group", orderYMD, "2016-04-15 15:04:00 | You created group"},
		{"[2019-04-16 02:09] +1 123 456 789: x", orderYMD, "2019-04-16 02:09:00 | +1 123 456 789: x"},
		{"[15-01-20 02:22:56] Mary: x", orderDMY, "2020-01-15 02:22:56 | Mary: x"},
		{"[09/10/22 11:37:00 p.m.] John Doe: x", orderDMY, "2022-10-09 23:37:00 | John Doe: x"},
		{"\ufeff\ufeff[29.01.18, 12:24:03] Du hast", orderDMY, "2018-01-29 12:24:03 | Du hast"},
		{"[\ufeff29.01.18, 12:24:03 PM] x", orderDMY, "2018-01-29 12:24:03 | x"},
		{"13. 6. 2018. 21:25:15 - a: m", orderDMY, "2018-06-13 21:25:15 | a: m"},
		{"13. 6. 2018. 21:25:15 a: m", orderDMY, "2018-06-13 21:25:15 | a: m"},
		// Old formats
		{"09/12/2012 17:03:48: Sender Name: Message", orderDMY, "2012-12-09 17:03:48 | Sender Name: Message"},
		{"3/24/14, 1:59:59 PM: Sender Name: Message", orderMDY, "2014-03-24 13:59:59 | Sender Name: Message"},
		{"12.07.2017, 22:35:22: Johannes Gruber: x", orderDMY, "2017-07-12 22:35:22 | Johannes Gruber: x"},
		{"13.06.18 21.25.15: a: m", orderDMY, "2018-06-13 21:25:15 | a: m"},
		{"12.07.2017 - 22:35:22; Johannes Gruber: x", orderDMY, "2017-07-12 22:35:22 | Johannes Gruber: x"},
		{"12.07.2017, 22:35:22; Johannes Gruber: x", orderDMY, "2017-07-12 22:35:22 | Johannes Gruber: x"},
		// 2013–14: month names (the year, when written, is read whatever
		// the order asked; see TestNamedHeaders for dates without one)
		{"19:23, 28 Aug 2013 - Tanay Gahlot: x", orderMDY, "2013-08-28 19:23:00 | Tanay Gahlot: x"},
		{"Mar 5, 2014, 8:11 PM - Aravind Cm: x", orderDMY, "2014-03-05 20:11:00 | Aravind Cm: x"},
		{"18 Mar 2014 12:14 - Shaggy changed the subject to \"x\"", orderMDY, "2014-03-18 12:14:00 | Shaggy changed the subject to \"x\""},
		// Hand-edited impossible times keep their hour.
		{"[1/29/18, 23:59:03 PM] x", orderMDY, "2018-01-29 23:59:03 | x"},
		{"[1/30/18, 00:04:03 AM] x", orderMDY, "2018-01-30 00:04:03 | x"},
	} {
		t.Run(tc.line, func(t *testing.T) {
			var h header
			if st := scanHeader([]byte(tc.line), &h); st != isHeader {
				t.Fatalf("not a header (%d)", st)
			}
			y, m, d, ok := h.date(tc.order)
			if !ok {
				t.Fatalf("no date in order %s: fields %v", tc.order, h.f)
			}
			hour, _ := h.hour24()
			got := fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d | %s", y, m, d, hour, h.min, h.sec, tc.line[h.body:])
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// Lines that are not headers: text in messages, malformed headers.
func TestNotHeaders(t *testing.T) {
	for _, line := range []string{
		"", "hello", "7.1.1, 7.1.2", "2019-04-29 10:30:00 was the old timestamp",
		"1/23/23, 3:22_AM - User 1: malformed", "12/2019/13, 10:00 - year in the middle",
		"14/03/2024,10:01,Ben Sample,hi", "2024-03-14 10:00,Ann Example,hello",
		"**14/03/2024, 10:00** Ann Example: hello", "[14/03/2024, 10:00:00 Ann: no bracket",
		"14/03/2024, 25:00 - hour 25", "14/03/2024, 10:60 - minute 60", "123/03/2024, 10:00 - x",
		"14/03/2024 10:00 x", "14/03.2024, 10:00 - mixed separators", "10:00 - no date",
		"[10:00, no date]", "Sample User: This file has nothing to do with whatsapp",
		"Maybe later", "Mar 5 was fun", "March 5, 8:11 PM - a month spelt out",
		"12:30, see you", "18 Mar", "Mar 5, 8:11 PM", "[Mar 5, 8:11 PM] x",
		"18 March 12:14 - x", "Sep5, 8:11 - x",
	} {
		var h header
		if st := scanHeader([]byte(line), &h); st == isHeader {
			t.Errorf("%q read as a header", line)
		}
	}
}

// A header cut off after its date is told apart from text.
func TestPartialHeader(t *testing.T) {
	for line, want := range map[string]scan{
		"14/03/2024, 10:":     partHeader,
		"14/03/2024, 10:00":   partHeader,
		"14/03/2024, 10:00 ":  partHeader,
		"[14/03/2024, 10:00:": partHeader,
		"14/03/2024":          partHeader,
		"14/03":               notHeader,
		"hello":               notHeader,
		"Mar 5, 8:1":          notHeader, // month names: never a cut header
		"19:23, 28 Aug":       notHeader,
	} {
		var h header
		if got := scanHeader([]byte(line), &h); got != want {
			t.Errorf("%q: %d, want %d", line, got, want)
		}
	}
}

// Headers of different layouts have different shapes; the same layout
// with other numbers, padding or am/pm spelling has the same shape.
func TestShapes(t *testing.T) {
	same := [][2]string{
		{"1/29/18, 12:24 PM - a", "12/24/19, 1:05 am - b"},
		{"[3/18/22, 14:56:01] a", "[12/1/22, 09:00:00] b"},
		{"01/01/2019, 11:25 a. m. - a", "01/01/2019, 11:25 p.m. - a"},
	}
	differ := [][2]string{
		{"01/03/2024, 09:20 - a", "01/03/24, 09:20 - a"},
		{"01/03/2024, 09:20 - a", "[01/03/2024, 09:20:00] a"},
		{"01/03/2024, 09:20 - a", "01.03.2024, 09:20 - a"},
		{"01/03/2024, 09:20 - a", "01/03/2024 09:20 - a"},
		{"1/4/24, 7:02\u202fPM - a", "1/4/24, 7:02 PM - a"},
		{"1/4/24, 7:02 PM - a", "1/4/24, 19:02 - a"},
		{"[3/18/22, 14:56:01] a", "[3/18/22, 14:56] a"},
	}
	shapeOf := func(s string) shape {
		var h header
		if scanHeader([]byte(s), &h) != isHeader {
			t.Fatalf("%q is not a header", s)
		}
		return h.shape
	}
	for _, p := range same {
		if shapeOf(p[0]) != shapeOf(p[1]) {
			t.Errorf("%q and %q should have the same shape", p[0], p[1])
		}
	}
	for _, p := range differ {
		if shapeOf(p[0]) == shapeOf(p[1]) {
			t.Errorf("%q and %q should differ in shape", p[0], p[1])
		}
	}
}

func TestDateValidity(t *testing.T) {
	var h header
	scanHeader([]byte("29/02/2023, 10:00 - a"), &h)
	if _, _, _, ok := h.date(orderDMY); ok {
		t.Error("29 February 2023 accepted")
	}
	scanHeader([]byte("29/02/2024, 10:00 - a"), &h)
	if _, _, _, ok := h.date(orderDMY); !ok {
		t.Error("29 February 2024 refused")
	}
	scanHeader([]byte("31/04/2024, 10:00 - a"), &h)
	if _, _, _, ok := h.date(orderDMY); ok {
		t.Error("31 April accepted")
	}
}

// FuzzScanHeader: the scanner never panics, never reads past the line,
// and gives the same answer twice.
func FuzzScanHeader(f *testing.F) {
	for _, s := range []string{"23/03/2022, 13:31 - a: b", "[3/18/22, 14:56:01] a: b", "[14:56:01, 3/18/22] a",
		"1/4/23, 7:02\u202fPM - a", "[١٨\u200f/٣\u200f/٢٠٢٢\u060c ٢:٥٦:٠٠\u00a0م] a", "13.6.2018 klo 21.25.15 - a",
		"[3/18/2565 BE, 14:56:01] a", "[3/18/R4, 14:56:01] a", "03/01/2021, 9:15 in the morning - a"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var h, h2 header
		st := scanHeader(b, &h)
		if st == isHeader && (h.body < 0 || h.body > len(b)) {
			t.Fatalf("body offset %d outside a line of %d bytes", h.body, len(b))
		}
		if scanHeader(b, &h2) != st || h2 != h {
			t.Fatal("a second scan differs")
		}
		for _, o := range []dateOrder{orderDMY, orderMDY, orderYMD} {
			h.date(o)
		}
		h.hour24()
	})
}

// Dates with month names, with and without the year.
func TestNamedHeaders(t *testing.T) {
	for _, tc := range []struct {
		line             string
		named            byte
		month, day, year int
		hour, min        int
		body             string
	}{
		{"19:23, 28 Aug 2013 - Tanay Gahlot: hi", 'd', 8, 28, 2013, 19, 23, "Tanay Gahlot: hi"},
		{"19:23, 28 Aug - Tanay Gahlot: hi", 'd', 8, 28, 0, 19, 23, "Tanay Gahlot: hi"},
		{"Mar 5, 8:11 PM - Aravind Cm: hi", 'm', 3, 5, 0, 20, 11, "Aravind Cm: hi"},
		{"Mar 5, 2013, 8:11 AM - Aravind Cm: hi", 'm', 3, 5, 2013, 8, 11, "Aravind Cm: hi"},
		{"Sept 15, 12:11 AM - A: hi", 'm', 9, 15, 0, 0, 11, "A: hi"},
		{"18 Mar 12:14 - Shaggy changed the subject", 'd', 3, 18, 0, 12, 14, "Shaggy changed the subject"},
		{"1 Jan 2014 0:05 - A: hi", 'd', 1, 1, 2014, 0, 5, "A: hi"},
	} {
		var h header
		if st := scanHeader([]byte(tc.line), &h); st != isHeader {
			t.Errorf("%q: not a header (%d)", tc.line, st)
			continue
		}
		hour, _ := h.hour24()
		got := fmt.Sprintf("%c %d-%d %d %02d:%02d | %s", h.named, h.f[1], h.f[0], h.f[2], hour, h.min, tc.line[h.body:])
		want := fmt.Sprintf("%c %d-%d %d %02d:%02d | %s", tc.named, tc.month, tc.day, tc.year, tc.hour, tc.min, tc.body)
		if got != want {
			t.Errorf("%q:\n got %s\nwant %s", tc.line, got, want)
		}
	}
	// A header with a year and one without have the same shape.
	var a, b header
	scanHeader([]byte("19:23, 28 Aug 2013 - x"), &a)
	scanHeader([]byte("10:02, 3 Jan - x"), &b)
	if a.shape != b.shape {
		t.Errorf("shapes differ: %+v, %+v", a.shape, b.shape)
	}
}
