package anonymizer

import "testing"

func TestFindIdentifiers_ContextCountsAgainstAType(t *testing.T) {
	cases := []struct {
		name, text string
		want       PIIType // "" none
	}{
		{"a version after 版本 is no IPv4 address", "请升级到版本 10.2.3.4 以上", ""},
		{"a version after v is no IPv4 address", "固件 v1.2.10.4 已发布", ""},
		{"an IPv4 address after 地址 is one", "服务器地址 10.2.3.4 不可达", TypeIPv4},
		{"an order number after 订单号 is no mobile number", "订单号：13800138000 已发货", ""},
		{"a tracking number after 快递单号 is no bank card", "快递单号 6222021234567890128 请查收", ""},
		{"a mobile number after 电话 is one", "联系电话：13800138000", TypeMobile},
		{"a landline inside a longer code is a fragment", "设备序列号A0105512345678B", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ms := FindIdentifiers(c.text)
			if c.want == "" {
				for _, m := range ms {
					if m.Type != TypeName && m.Type != TypeAddress {
						t.Fatalf("found %+v in %q", m, c.text)
					}
				}
				return
			}
			if len(ms) != 1 || ms[0].Type != c.want {
				t.Fatalf("found %+v in %q, want one %s", ms, c.text, c.want)
			}
		})
	}
}
