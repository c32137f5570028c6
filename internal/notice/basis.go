package notice

import (
	"strings"

	"github.com/shujiao/shujiao/market"
)

// Basis is one article of the legal basis a document cites, with its text.
type Basis struct {
	Cite string // 《陕西省大数据条例》第七十四条
	Text string
}

const (
	apl     = "《中华人民共和国行政处罚法》"
	review  = "《中华人民共和国行政复议法》"
	lawsuit = "《中华人民共和国行政诉讼法》"
)

// lawText holds the articles the documents cite, keyed by citation.
var lawText = map[string]string{
	regulation + "第三十六条": "市场主体合法处理数据形成的数据产品和服务，可以依法交易，有下列情形之一的除外：（一）交易的数据产品和服务包含未依法获得授权的数据；（二）交易的数据产品和服务包含未依法公开的数据；（三）法律、行政法规规定禁止交易的其他情形。",
	regulation + "第三十七条": "市场主体不得根据交易相对人的偏好、交易习惯等特征，利用数据分析对交易条件相同的交易相对人实施不合理的差别待遇等违法行为。",
	regulation + "第七十四条": "违反本条例第三十六条规定交易数据的，由县级以上市场监督管理部门或者相关行业主管部门按照职责责令改正，没收违法所得，交易金额不足一万元的，处五万元以上二十万元以下罚款；交易金额一万元以上的，处二十万元以上一百万元以下罚款。",
	regulation + "第七十五条": "违反本条例第三十七条规定，侵害交易相对人合法权益的，由县级以上市场监督管理部门或者相关行业主管部门按照职责责令改正，没收违法所得；拒不改正的，处一万元以上十万元以下罚款。",
	regulation + "第七十七条": "依照本条例规定对单位处二十万元以上罚款、对个人处二万元以上罚款，或者没收与罚款数额相当的违法所得的，应当告知当事人有要求举行听证的权利。",
	apl + "第三十二条":        "当事人有下列情形之一，应当从轻或者减轻行政处罚：（一）主动消除或者减轻违法行为危害后果的；（二）受他人胁迫或者诱骗实施违法行为的；（三）主动供述行政机关尚未掌握的违法行为的；（四）配合行政机关查处违法行为有立功表现的；（五）法律、法规、规章规定其他应当从轻或者减轻行政处罚的。",
	apl + "第三十三条":        "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。初次违法且危害后果轻微并及时改正的，可以不予行政处罚。当事人有证据足以证明没有主观过错的，不予行政处罚。",
	apl + "第三十六条":        "违法行为在二年内未被发现的，不再给予行政处罚；涉及公民生命健康安全、金融安全且有危害后果的，上述期限延长至五年。前款规定的期限，从违法行为发生之日起计算；违法行为有连续或者继续状态的，从行为终了之日起计算。",
	apl + "第四十条":         "公民、法人或者其他组织违反行政管理秩序的行为，依法应当给予行政处罚的，行政机关必须查明事实；违法事实不清、证据不足的，不得给予行政处罚。",
	apl + "第四十四条":        "行政机关在作出行政处罚决定之前，应当告知当事人拟作出的行政处罚内容及事实、理由、依据，并告知当事人依法享有的陈述、申辩、要求听证等权利。",
	apl + "第四十五条":        "当事人有权进行陈述和申辩。行政机关必须充分听取当事人的意见，对当事人提出的事实、理由和证据，应当进行复核；当事人提出的事实、理由或者证据成立的，行政机关应当采纳。行政机关不得因当事人陈述、申辩而给予更重的处罚。",
	apl + "第五十七条":        "调查终结，行政机关负责人应当对调查结果进行审查，根据不同情况，分别作出如下决定：（一）确有应受行政处罚的违法行为的，根据情节轻重及具体情况，作出行政处罚决定；（二）违法行为轻微，依法可以不予行政处罚的，不予行政处罚；（三）违法事实不能成立的，不予行政处罚；（四）违法行为涉嫌犯罪的，移送司法机关。",
	apl + "第六十三条":        "行政机关拟作出较大数额罚款、没收较大数额违法所得、没收较大价值非法财物等行政处罚决定，应当告知当事人有要求听证的权利，当事人要求听证的，行政机关应当组织听证。",
	apl + "第六十四条":        "听证应当依照以下程序组织：（一）当事人要求听证的，应当在行政机关告知后五日内提出；（二）行政机关应当在举行听证的七日前，通知当事人及有关人员听证的时间、地点；……",
	apl + "第六十七条":        "当事人应当自收到行政处罚决定书之日起十五日内，到指定的银行或者通过电子支付系统缴纳罚款。",
	apl + "第七十二条":        "当事人到期不缴纳罚款的，作出行政处罚决定的行政机关可以采取下列措施：（一）到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额；……",
	apl + "第七十三条":        "当事人对行政处罚决定不服，申请行政复议或者提起行政诉讼的，行政处罚不停止执行，法律另有规定的除外。",
	apl + "第八十五条":        "本法中“二日”“三日”“五日”“七日”的规定是指工作日，不含法定节假日。",
	review + "第二十条":      "公民、法人或者其他组织认为行政行为侵犯其合法权益的，可以自知道或者应当知道该行政行为之日起六十日内提出行政复议申请。",
	lawsuit + "第四十六条":    "公民、法人或者其他组织直接向人民法院提起诉讼的，应当自知道或者应当知道作出行政行为之日起六个月内提出。",
}

// basisOf returns the articles cited, each once, in order, with their text.
func basisOf(cites ...string) []Basis {
	var out []Basis
	seen := map[string]bool{}
	for _, c := range cites {
		if seen[c] {
			continue
		}
		seen[c] = true
		out = append(out, Basis{Cite: c, Text: lawText[c]})
	}
	return out
}

// penaltyBasis is the legal basis of a notice or decision: per violation
// the article breached and the article applied, the Administrative
// Penalty Law articles of its decision; then the procedure's articles.
func penaltyBasis(kind Kind, p *market.PenaltyResult) []Basis {
	var cites []string
	for _, v := range p.Violations {
		cites = append(cites, regulation+articleNumber(v.Breach), regulation+articleNumber(v.Article))
		switch v.Decision {
		case market.DecisionReduced:
			cites = append(cites, apl+"第三十二条")
		case market.DecisionLighter:
			if strings.Contains(v.DecisionBasis, "Art. 32") {
				cites = append(cites, apl+"第三十二条")
			}
		case market.DecisionNoPenalty:
			cites = append(cites, apl+"第三十三条")
		case market.DecisionLimitationExpired:
			cites = append(cites, apl+"第三十六条")
		case market.DecisionNotEstablished:
			cites = append(cites, apl+"第四十条")
		}
	}
	switch kind {
	case KindPenaltyNotice, KindHearingNotice:
		cites = append(cites, apl+"第四十四条", apl+"第四十五条")
		if p.HearingNotice {
			cites = append(cites, regulation+"第七十七条", apl+"第六十三条", apl+"第六十四条")
		}
		cites = append(cites, apl+"第八十五条")
	case KindPenaltyDecision:
		cites = append(cites, apl+"第五十七条")
		if due := !p.TotalFine.Add(p.TotalConfiscation).IsZero(); due {
			cites = append(cites, apl+"第六十七条")
			if !p.TotalFine.IsZero() {
				cites = append(cites, apl+"第七十二条")
			}
			cites = append(cites, apl+"第七十三条")
		}
		cites = append(cites, review+"第二十条", lawsuit+"第四十六条")
	}
	return basisOf(cites...)
}
