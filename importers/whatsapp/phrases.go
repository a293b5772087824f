package whatsapp

import (
	"strings"

	"github.com/chatferry/chatferry/model"
)

// The phrases WhatsApp writes into a transcript, in the languages of the
// exports chatferry was tested on. Each list is matched against a body
// whose opening direction marks are removed; matching is exact unless a
// comment says otherwise.

// omittedPhrases mark media left out of an export. On iOS the phrase names
// the kind and may follow a document's name ("Resume.pdf • 2 pages
// document omitted"); on Android it is "<Media omitted>" for every kind.
var omittedPhrases = map[model.MediaKind][]string{
	model.MediaImage: {"image omitted", "Bild weggelassen", "imagen omitida", "image absente",
		"immagine omessa", "imagem não revelada", "imagem omitida", "изображение отсутствует",
		"зображення відсутнє", "obrázek vynechán", "gambar tidak disertakan", "画像は含まれていません",
		"ไม่มีรูปภาพ", "फ़ोटो हटाई गई", "đã bỏ qua hình ảnh", "görüntü dahil edilmedi",
		"afbeelding weggelaten", "لم يتم إدراج الصورة", "photo omitted"},
	model.MediaVideo: {"video omitted", "Video weggelassen", "Video omitido", "vídeo omitido",
		"vidéo absente", "video omesso", "vídeo não revelado", "видео отсутствует", "відео відсутнє",
		"video vynecháno", "video tidak disertakan", "ビデオは含まれていません", "วิดีโอถูกลบ",
		"वीडियो छोड़ा गया", "đã bỏ video", "video weggelaten", "لم يتم إدراج الفيديوهات",
		"video note omitted", "Video note omitted"},
	model.MediaAudio: {"audio omitted", "Audio weggelassen", "audio omitido", "audio omis",
		"audio omesso", "ficheiro de áudio não revelado", "áudio omitido", "аудиофайл отсутствует",
		"аудіо відсутнє", "zvukový soubor vynechán", "audio tidak disertakan", "音声は含まれていません",
		"ไม่มีไฟล์เสียง", "ऑडियो हटाई गयी", "bỏ qua tệp âm thanh", "audio weggelaten",
		"لم يتم إدراج المقاطع الصوتية"},
	model.MediaSticker: {"sticker omitted", "Sticker weggelassen", "sticker omitido", "sticker omis",
		"sticker non incluso", "sticker não revelado", "стикер не добавлен", "Наклейку не додано",
		"nálepka vynechána", "stiker tidak disertakan", "スタンプは含まれていません", "ไม่มีสติกเกอร์",
		"स्टिकर छोड़ा गया", "đã bỏ sticker", "sticker weggelaten", "تم حذف الملصقات"},
	model.MediaGIF: {"GIF omitted", "GIF weggelassen", "GIF omitido", "GIF retiré", "GIF esclusa",
		"GIF não revelada", "GIF отсутствует", "GIF-анімацію пропущено", "GIF vynechán",
		"GIF tidak disertakan", "GIFは含まれていません", "ละเว้น GIF", "GIF छोड़ा गया",
		"Đã bỏ qua ảnh GIF", "GIF weggelaten", "لم يتم إدراج صورة GIF"},
	model.MediaContact: {"Contact card omitted", "Kontaktkarte ausgelassen", "Tarjeta de contacto omitida",
		"Fiche contact manquante", "Scheda contatto omessa", "Contacto não revelado",
		"Карточка контакта отсутствует", "Картка контакту відсутня", "Vizitka vynechána",
		"Kartu kontak tidak disertakan", "連絡先カードを省略", "บัตรรายชื่อที่ละเว้น",
		"कॉन्टैक्ट कार्ड छोड़ा गया", "Bỏ qua thẻ liên lạc", "لم يتم إدراج بطاقة جهة اتصال"},
	model.MediaDocument: {"document omitted", "Dokument weggelassen", "documento omitido",
		"document absent", "document manquant", "documento omesso", "документ отсутствует",
		"документ пропущено", "dokument vynechán", "dokumen tidak disertakan", "đã bỏ qua tài liệu",
		"डॉक्यूमेंट छोड़ा गया", "ละเว้นเอกสาร", "ドキュメントは含まれていません", "لم يتم إدراج المستند"},
}

// mediaOmitted are Android's "<Media omitted>" in the languages seen.
var mediaOmitted = []string{"<Media omitted>", "<Medien ausgeschlossen>", "<Medien weggelassen>",
	"<Medien ausgelassen>", "<Media omessi>", "<Media omesso>", "<Mídia oculta>", "<Mídia omitida>",
	"<Multimedia omitido>", "<Archivo omitido>", "<Médias omis>", "<Media weggelaten>",
	"<Média vynechány>", "<Без медиафайлов>", "<Файл пропущен>", "<Медіафайли пропущено>",
	"<Medya atlanmış>", "<Medya dahil edilmedi>", "<メディアなし>", "<Media tidak disertakan>",
	"<Video note omitted>", "<Multimédia omitido>", "<Pominięto multimedia>"}

// fileAttached are the Android phrases after an attached file's name.
var fileAttached = []string{"file attached", "Datei angehängt", "archivo adjunto", "fichier joint",
	"file allegato", "arquivo anexado", "ficheiro anexado", "bestand bijgevoegd", "файл добавлен",
	"файл додано", "soubor byl přiložen", "dosya ekli", "ファイル添付", "ファイル添付有り",
	"plik załączony", "fil vedhæftet", "fil bifogad", "fil vedlagt", "tiedosto liitetty",
	"file terlampir", "đã đính kèm tệp", "ملف مرفق", "फ़ाइल संलग्न है", "ไฟล์แนบ"}

// deletedPhrases say a sender deleted a message for everyone; youDeleted
// say the exporting user did, which tells who made the export.
var deletedPhrases = []string{"This message was deleted", "This message was deleted by an admin",
	"Diese Nachricht wurde gelöscht", "Se eliminó este mensaje", "Este mensaje fue eliminado",
	"Ce message a été supprimé", "Questo messaggio è stato eliminato", "Esta mensagem foi apagada",
	"Essa mensagem foi apagada", "Данное сообщение удалено", "Это сообщение удалено",
	"Це повідомлення було видалено", "Tato zpráva byla smazána", "Pesan ini dihapus",
	"このメッセージは削除されました", "ข้อความนี้ถูกลบแล้ว", "यह मैसेज डिलीट कर दिया गया है",
	"Tin nhắn này đã bị xóa", "Tato zpráva byla odstraněna", "Bu mesaj silindi", "Dit bericht is verwijderd", "تم حذف هذه الرسالة"}

var youDeleted = []string{"You deleted this message", "Du hast diese Nachricht gelöscht",
	"Eliminaste este mensaje", "Vous avez supprimé ce message", "Hai eliminato questo messaggio",
	"Apagou esta mensagem", "Você apagou esta mensagem", "Вы удалили данное сообщение",
	"Вы удалили это сообщение", "Ви видалили це повідомлення", "Tuto zprávu jste smazal/a",
	"Anda menghapus pesan ini", "Tuto zprávu jste odstranil/a", "このメッセージを削除しました", "คุณได้ลบข้อความนี้",
	"आपने यह मैसेज डिलीट किया", "Bạn đã xoá tin nhắn này", "Bu mesajı sildiniz",
	"U hebt dit bericht verwijderd", "Je hebt dit bericht verwijderd", "لقد حذَفت هذه الرسالة",
	"أنت حذفت هذه الرسالة"}

// callPhrases are call records with a sender.
var callPhrases = []struct {
	text  string
	video bool
}{
	{"Missed voice call", false}, {"Missed video call", true},
	{"Missed group voice call", false}, {"Missed group video call", true},
	{"Verpasster Sprachanruf", false}, {"Verpasster Videoanruf", true},
	{"Llamada perdida", false}, {"Videollamada perdida", true},
	{"Appel vocal manqué", false}, {"Appel vidéo manqué", true},
	{"Chiamata vocale persa", false}, {"Videochiamata persa", true},
	{"Chamada de voz perdida", false}, {"Chamada de vídeo perdida", true},
	{"Пропущенный аудиозвонок", false}, {"Пропущенный видеозвонок", true},
	{"Cevapsız sesli arama", false}, {"Cevapsız görüntülü arama", true},
	{"Gemist spraakgesprek", false}, {"Gemiste videogesprek", true},
	{"Gemiste spraakoproep", false}, {"Gemiste video-oproep", true},
	{"Zmeškaný hovor", false}, {"Zmeškaný videohovor", true},
}

// editedSuffixes end the last line of an edited message.
var editedSuffixes = []string{"<This message was edited>", "<Diese Nachricht wurde bearbeitet>"}

// liveLocation are the bodies of a shared live location.
var liveLocation = []string{"live location shared", "Live location shared", "Live-Standort wird geteilt.",
	"Live-Standort wird geteilt", "ubicación en tiempo real compartida", "position en direct partagée"}

// noticePrefixes open the notices WhatsApp writes into a chat (the
// end-to-end notice, security code changes, business notices). They are
// system events even where iOS puts a name before them.
var noticePrefixes = []struct {
	text string
	typ  model.EventType
}{
	{"Messages and calls are end-to-end encrypted", model.EventEncryption},
	{"Messages to this group are now secured with end-to-end encryption", model.EventEncryption},
	{"Messages to this chat and calls are now secured with end-to-end encryption", model.EventEncryption},
	{"Messages you send to this group are now secured with end-to-end encryption", model.EventEncryption},
	{"Messages you send to this chat and calls are now secured with end-to-end encryption", model.EventEncryption},
	{"Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt", model.EventEncryption},
	{"Los mensajes y las llamadas están cifrados de extremo a extremo", model.EventEncryption},
	{"Les messages et les appels sont chiffrés de bout en bout", model.EventEncryption},
	{"I messaggi e le chiamate sono crittografati end-to-end", model.EventEncryption},
	{"As mensagens e chamadas são encriptadas ponto a ponto", model.EventEncryption},
	{"As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta", model.EventEncryption},
	{"Сообщения и звонки защищены сквозным шифрованием", model.EventEncryption},
	{"Повідомлення й дзвінки захищено наскрізним шифруванням", model.EventEncryption},
	{"Zprávy a hovory jsou opatřeny koncovým šifrováním", model.EventEncryption},
	{"Zprávy a hovory jsou zabezpečeny koncovým šifrováním", model.EventEncryption},
	{"Pesan dan panggilan terenkripsi secara end-to-end", model.EventEncryption},
	{"メッセージと通話はエンドツーエンド暗号化されています", model.EventEncryption},
	{"ข้อความและการโทรได้รับการเข้ารหัสจากต้นทางถึงปลายทาง", model.EventEncryption},
	{"मैसेजेस और कॉल्स एंड-टू-एंड एन्क्रिप्टेड हैं", model.EventEncryption},
	{"Tin nhắn và cuộc gọi được mã hóa đầu cuối", model.EventEncryption},
	{"الرسائل والمكالمات مشفرة تمامًا بين الطرفين", model.EventEncryption},
	{"Berichten en oproepen worden end-to-end versleuteld", model.EventEncryption},
	{"Mesajlar ve aramalar uçtan uca şifrelidir", model.EventEncryption},
	{"Your security code with ", model.EventSecurityCode},
	{"Deine Sicherheitsnummer für ", model.EventSecurityCode},
	{"Cambió tu código de seguridad con ", model.EventSecurityCode},
	{"Votre code de sécurité avec ", model.EventSecurityCode},
	{"Il tuo codice di sicurezza con ", model.EventSecurityCode},
	{"O seu código de segurança partilhado com ", model.EventSecurityCode},
	{"Ваш код безопасности с контактом ", model.EventSecurityCode},
	{"Код безпеки з контактом ", model.EventSecurityCode},
	{"Bezpečnostní kód mezi vámi a uživatelem ", model.EventSecurityCode},
	{"Kode keamanan Anda dengan ", model.EventSecurityCode},
	{"Mã bảo mật của bạn với ", model.EventSecurityCode},
	{"رمز أمانك", model.EventSecurityCode},
	{"تغيّر رمز أمانك", model.EventSecurityCode},
	{"This business uses a secure service from Meta", model.EventOther},
	{"This business is now using a secure service from Meta", model.EventOther},
	{"This chat is with a business account", model.EventOther},
}

// noticeInfixes are notices whose phrase follows a name.
var noticeInfixes = []struct {
	text string
	typ  model.EventType
}{
	{"とのセキュリティコードが変更されました", model.EventSecurityCode},
	{"के लिए आपका सुरक्षा कोड बदल गया है", model.EventSecurityCode},
	{"รหัสความปลอดภัยของคุณกับ", model.EventSecurityCode},
	{"'s security code changed", model.EventSecurityCode},
}

// subjectPhrases appear in system lines that carry a free-form group
// subject, which may itself hold ": ". Where the text before the first
// ": " contains one, the line is a system event, not a sender's message.
var subjectPhrases = []string{" changed the subject ", " changed the group name ", " created group ",
	" changed the subject to ", "hat den Betreff ", " hat die Gruppe ", "Du hast die Gruppe ",
	" hat den Gruppennamen ", "Du hast den Gruppennamen ", " cambió el asunto ", " creó el grupo ",
	" a changé le sujet ", " a créé le groupe ", " ha cambiato l'oggetto ", " ha creato il gruppo ",
	" mudou o assunto ", " criou o grupo ", " изменил(-а) тему ", " создал(-а) группу "}

// nukta pairs Devanagari letters with their precomposed nukta forms
// (U+0958–U+095F). WhatsApp's strings use either spelling, and Unicode
// normalisation does not unify them, so every phrase is matched in both.
var nukta = strings.NewReplacer(
	"\u0915\u093c", "\u0958", "\u0916\u093c", "\u0959", "\u0917\u093c", "\u095a", "\u091c\u093c", "\u095b",
	"\u0921\u093c", "\u095c", "\u0922\u093c", "\u095d", "\u092b\u093c", "\u095e", "\u092f\u093c", "\u095f")

var unNukta = strings.NewReplacer(
	"\u0958", "\u0915\u093c", "\u0959", "\u0916\u093c", "\u095a", "\u0917\u093c", "\u095b", "\u091c\u093c",
	"\u095c", "\u0921\u093c", "\u095d", "\u0922\u093c", "\u095e", "\u092b\u093c", "\u095f", "\u092f\u093c")

// variants returns the spellings of a phrase to match.
func variants(s string) []string {
	out := []string{s}
	for _, v := range []string{nukta.Replace(s), unNukta.Replace(s)} {
		if v != out[len(out)-1] && v != s {
			out = append(out, v)
		}
	}
	return out
}
