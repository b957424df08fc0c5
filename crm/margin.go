package crm

// MarginPct is the margin (ru and kk "маржа"): the profit as a share of the
// price, (price − cost) / price, in whole percent rounded half away from
// zero. ok is false without a price or a cost.
func MarginPct(price, cost int64) (pct int64, ok bool) {
	if price <= 0 || cost <= 0 {
		return 0, false
	}
	return roundedPct(price-cost, price), true
}

// MarkupPct is the markup (ru "наценка", kk "үстеме баға"): the profit as a share of
// the cost, (price − cost) / cost, in whole percent rounded half away from
// zero. ok is false without a price or a cost.
func MarkupPct(price, cost int64) (pct int64, ok bool) {
	if price <= 0 || cost <= 0 {
		return 0, false
	}
	return roundedPct(price-cost, cost), true
}

// roundedPct is 100·a/b rounded half away from zero, for b > 0.
func roundedPct(a, b int64) int64 {
	if a < 0 {
		return -((-a*100 + b/2) / b)
	}
	return (a*100 + b/2) / b
}
