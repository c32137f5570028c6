package anonymizer

import "testing"

func TestValidators_AcceptRealFormsAndRejectNearMisses(t *testing.T) {
	tests := []struct {
		name  string
		valid func(string) bool
		in    string
		want  bool
	}{
		{"GB 11643-1999: the standard's example ID with check X is valid", ValidResidentID, "11010519491231002X", true},
		{"GB 11643-1999: a lower-case x check character is accepted", ValidResidentID, "11010519491231002x", true},
		{"GB 11643-1999: a wrong check character is refused", ValidResidentID, "110105194912310021", false},
		{"GB 11643-1999: 30 February is refused even with a right check character", ValidResidentID, residentIDWithCheck("11010519900230123"), false},
		{"GB 11643-1999: a birth date in the future is refused", ValidResidentID, residentIDWithCheck("11010521990101123"), false},
		{"GB/T 2260: an unknown province code 99 is refused", ValidResidentID, residentIDWithCheck("99010519900101123"), false},
		{"GB 11643-1999: 17 characters are refused", ValidResidentID, "11010519491231002", false},
		{"a legacy 15-digit ID with a real date is valid", ValidLegacyResidentID, "110105491231002", true},
		{"a legacy ID with month 13 is refused", ValidLegacyResidentID, "110105491331002", false},
		{"GB 32100-2015: a published credit code is valid", ValidUSCC, "91350100M000100Y43", true},
		{"GB 32100-2015: a wrong check character is refused", ValidUSCC, "91350100M000100Y44", false},
		{"GB 32100-2015: the letter I is outside the code set", ValidUSCC, "91350100M000100YI3", false},
		{"a mobile number is valid", ValidMobile, "13800138000", true},
		{"a mobile number with +86 and spaces is valid", ValidMobile, "+86 138 0013 8000", true},
		{"a mobile number with 0086 and dashes is valid", ValidMobile, "0086-138-0013-8000", true},
		{"a number starting 12 is no mobile", ValidMobile, "12800138000", false},
		{"the satellite prefix 174 is no mobile", ValidMobile, "17400138000", false},
		{"ten digits are no mobile", ValidMobile, "1380013800", false},
		{"a Beijing landline with dash is valid", ValidLandline, "010-88886666", true},
		{"a Shenzhen landline in parentheses is valid", ValidLandline, "(0755)8888666", true},
		{"a landline with +86 drops the trunk 0", ValidLandline, "+86-21-68886666", true},
		{"a subscriber number starting 1 is refused", ValidLandline, "010-18886666", false},
		{"an e-mail address is valid", ValidEmail, "zhang.san+tag@mail.example.com.cn", true},
		{"an e-mail without a dot in the domain is refused", ValidEmail, "root@localhost", false},
		{"an e-mail with a double dot is refused", ValidEmail, "a..b@example.com", false},
		{"a UnionPay card with a valid Luhn digit is valid", ValidBankCard, "6222021234567890128", true},
		{"a grouped Visa test card is valid", ValidBankCard, "4111 1111 1111 1111", true},
		{"a card failing Luhn is refused", ValidBankCard, "6222021234567890127", false},
		{"a Luhn-valid number outside card ranges is refused", ValidBankCard, "1111111111111117", false},
		{"an IMEI with a valid Luhn digit is valid", ValidIMEI, "356938035643809", true},
		{"an IMEI failing Luhn is refused", ValidIMEI, "356938035643808", false},
		{"an ordinary plate is valid", ValidPlate, "京A12345", true},
		{"a plate with a middle dot is valid", ValidPlate, "沪B·6K888", true},
		{"a small new-energy plate is valid", ValidPlate, "粤BD12345", true},
		{"a large new-energy plate is valid", ValidPlate, "苏E12345F", true},
		{"a trailer plate is valid", ValidPlate, "冀A1234挂", true},
		{"authority letter O is refused", ValidPlate, "京O12345", false},
		{"a plate with three letters is refused", ValidPlate, "京AABC12", false},
		{"an electronic passport is valid", ValidPassport, "E12345678", true},
		{"a passport E plus letter is valid", ValidPassport, "EA1234567", true},
		{"a passport one digit short is refused", ValidPassport, "E1234567", false},
		{"a Hong Kong and Macao permit is valid", ValidTravelPermit, "C12345678", true},
		{"a home-return permit is valid", ValidTravelPermit, "H1234567801", true},
		{"a permit with an unknown letter is refused", ValidTravelPermit, "K12345678", false},
		{"an IPv4 address is valid", ValidIPv4, "192.168.10.1", true},
		{"an IPv4 octet above 255 is refused", ValidIPv4, "192.168.10.256", false},
		{"an IPv6 address is valid", ValidIPv6, "2001:db8::8a2e:370:7334", true},
		{"an IPv6 group with g is refused", ValidIPv6, "2001:db8::g", false},
		{"a MAC address is valid", ValidMAC, "00:1A:2B:3C:4D:5E", true},
		{"a MAC with mixed separators is refused", ValidMAC, "00:1A-2B:3C:4D:5E", false},
		{"coordinates of Beijing are valid", ValidCoordinates, "39.904200,116.407400", true},
		{"a pair of 95-degree values is refused", ValidCoordinates, "95.1234,95.1234", false},
		{"coordinates with one decimal are refused", ValidCoordinates, "39.9,116.4", false},
		{"a name with a common surname is name-shaped", LooksLikeChineseName, "张伟", true},
		{"a name with a compound surname is name-shaped", LooksLikeChineseName, "欧阳娜娜", true},
		{"a diagnosis is not name-shaped", LooksLikeChineseName, "冠心病", false},
		{"an address down to the number is an address", LooksLikeAddress, "广东省深圳市南山区科技园南路88号", true},
		{"a district alone is not an address", LooksLikeAddress, "北京市朝阳区", false},
		{"a listed division code is a division code", IsDivisionCode, "440305", true},
		{"a code of an unknown province is not", IsDivisionCode, "990305", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.valid(tt.in); got != tt.want {
				t.Errorf("%q: got %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func residentIDWithCheck(body string) string { return body + string(ResidentIDCheckChar(body)) }

func TestParseResidentID_ReadsAreaBirthAndSex(t *testing.T) {
	id, ok := ParseResidentID("11010519491231002X")
	if !ok {
		t.Fatal("the standard's example did not parse")
	}
	if got, want := id.Area, "110105"; got != want {
		t.Errorf("area = %q, want %q", got, want)
	}
	if got, want := id.Birth.Format("2006-01-02"), "1949-12-31"; got != want {
		t.Errorf("birth = %q, want %q", got, want)
	}
	if id.Male {
		t.Error("sequence 002 is even: a woman")
	}
}
