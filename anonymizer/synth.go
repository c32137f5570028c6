package anonymizer

import (
	"math"
	"math/rand/v2"
	"sort"
)

// SynthHeader is the header of the synthetic population table.
var SynthHeader = []string{"身份证号", "姓名", "手机号", "出生日期", "性别", "行政区划", "职业", "学历", "收入", "诊断"}

// synthRefYear is the year ages are computed at, fixed so that a seed always
// gives the same table.
const synthRefYear = 2025

// Synthesizer generates rows of a realistic synthetic Chinese population
// table, deterministically from a seed: a resident identity number whose
// area, birth date and sex agree with the other columns and whose GB
// 11643-1999 check character is right, a name, a mobile number, a birth date,
// sex, a GB/T 2260 county code, an occupation and education consistent with
// age, an annual income in yuan and an ICD-10 diagnosis. It is not safe for
// concurrent use; use one per goroutine.
type Synthesizer struct {
	rng      *rand.Rand
	fields   [10][]byte
	surnameW []float64
	counties []Division
}

// NewSynthesizer returns a generator whose rows depend only on seed.
func NewSynthesizer(seed int64) *Synthesizer {
	s := &Synthesizer{
		rng:      rand.New(rand.NewPCG(uint64(seed), 0x5348554a49414f)),
		counties: Counties(),
	}
	acc := 0.0
	for i := range synthSurnames {
		acc += 1 / math.Pow(float64(i+1), 0.9)
		s.surnameW = append(s.surnameW, acc)
	}
	return s
}

// Header returns the column names (a copy of SynthHeader).
func (s *Synthesizer) Header() []string { return append([]string(nil), SynthHeader...) }

// Next fills row (reused when it has room for 10 values) with the next
// person and returns it.
func (s *Synthesizer) Next(row []string) []string {
	s.generate()
	row = row[:0]
	for i := range s.fields {
		row = append(row, string(s.fields[i]))
	}
	return row
}

// appendCSV appends the next person as one line of comma-separated text (no
// field needs quoting).
func (s *Synthesizer) appendCSV(b []byte, delim byte) []byte {
	s.generate()
	for i := range s.fields {
		if i > 0 {
			b = append(b, delim)
		}
		b = append(b, s.fields[i]...)
	}
	return append(b, '\n')
}

// generate draws one person into s.fields.
func (s *Synthesizer) generate() {
	r := s.rng
	f := &s.fields
	for i := range f {
		f[i] = f[i][:0]
	}
	year := 1940 + r.IntN(69)
	month := 1 + r.IntN(12)
	day := 1 + r.IntN(daysIn(year, month))
	age := synthRefYear - year
	male := r.IntN(100) < 51
	county := s.counties[r.IntN(len(s.counties))]

	// 身份证号: area + birth date + sequence (odd for men) + check character.
	id := append(f[0], county.Code...)
	id = appendInt(id, year, 4)
	id = appendInt(id, month, 2)
	id = appendInt(id, day, 2)
	seq := r.IntN(500) * 2
	if male {
		seq++
	}
	id = appendInt(id, seq, 3)
	f[0] = append(id, ResidentIDCheckChar(string(id)))

	// 姓名
	sur := sort.SearchFloat64s(s.surnameW, r.Float64()*s.surnameW[len(s.surnameW)-1])
	f[1] = append(f[1], synthSurnames[min(sur, len(synthSurnames)-1)]...)
	given := synthGivenFemale
	if male {
		given = synthGivenMale
	}
	f[1] = append(f[1], given[r.IntN(len(given))]...)
	if r.IntN(10) < 7 {
		f[1] = append(f[1], given[r.IntN(len(given))]...)
	}

	// 手机号
	f[2] = append(f[2], synthMobilePrefixes[r.IntN(len(synthMobilePrefixes))]...)
	f[2] = appendInt(f[2], r.IntN(100000000), 8)

	// 出生日期, 性别, 行政区划
	f[3] = appendInt(f[3], year, 4)
	f[3] = append(f[3], '-')
	f[3] = appendInt(f[3], month, 2)
	f[3] = append(f[3], '-')
	f[3] = appendInt(f[3], day, 2)
	if male {
		f[4] = append(f[4], "男"...)
	} else {
		f[4] = append(f[4], "女"...)
	}
	f[5] = append(f[5], county.Code...)

	edu := s.education(age)
	occ, income := s.occupation(age, edu)
	f[6] = append(f[6], occ...)
	f[7] = append(f[7], synthEducation[edu].name...)
	f[8] = appendInt(f[8], income, 1)
	f[9] = append(f[9], s.diagnosis(age)...)
}

func (s *Synthesizer) education(age int) int {
	total := 0
	for _, e := range synthEducation {
		if e.minAge <= age {
			total += e.weight
		}
	}
	if total == 0 {
		return 0
	}
	x := s.rng.IntN(total)
	for i, e := range synthEducation {
		if e.minAge <= age {
			if x < e.weight {
				return i
			}
			x -= e.weight
		}
	}
	return 0
}

// occupation returns an occupation fitting age and education, and an annual
// income in yuan (log-normal around the education's median, rounded to 100).
func (s *Synthesizer) occupation(age, edu int) (string, int) {
	r := s.rng
	switch {
	case age < 18 || (age < 23 && r.IntN(2) == 0):
		return "学生", 0
	case age >= 60 && r.IntN(10) < 7:
		return "退休", (24000 + r.IntN(48000)) / 100 * 100
	case r.IntN(100) < 4:
		return "无业", 0
	}
	for {
		o := synthOccupations[r.IntN(len(synthOccupations))]
		if o.minEdu <= edu {
			income := float64(synthEducation[edu].income) * math.Exp(r.NormFloat64()*0.45)
			if age < 30 {
				income *= 0.8
			}
			return o.name, int(income) / 100 * 100
		}
	}
}

func (s *Synthesizer) diagnosis(age int) string {
	total := 0
	for _, d := range synthDiagnoses {
		if d.minAge <= age {
			total += d.weight
		}
	}
	x := s.rng.IntN(total)
	for _, d := range synthDiagnoses {
		if d.minAge <= age {
			if x < d.weight {
				return d.name
			}
			x -= d.weight
		}
	}
	return synthDiagnoses[0].name
}

// appendInt appends n in decimal, zero-padded to at least width digits.
func appendInt(b []byte, n, width int) []byte {
	var buf [20]byte
	i := len(buf)
	for n >= 10 || width > 1 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		width--
	}
	i--
	buf[i] = byte('0' + n)
	return append(b, buf[i:]...)
}
