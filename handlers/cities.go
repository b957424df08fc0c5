package handlers

import "math"

// city is a place a consultant can pick to set her timezone.
type city struct {
	ID       string // template key suffix: city.<id>
	Zone     string // IANA name
	Lat, Lon float64
}

// cities are where our consultants live: Kazakhstan first (one offset since
// March 2024, but each region keeps its own IANA zone), then Russia and
// neighbours.
var cities = []city{
	{"almaty", "Asia/Almaty", 43.24, 76.89},
	{"astana", "Asia/Almaty", 51.17, 71.45},
	{"shymkent", "Asia/Almaty", 42.32, 69.59},
	{"karaganda", "Asia/Almaty", 49.81, 73.09},
	{"aktobe", "Asia/Aqtobe", 50.28, 57.17},
	{"atyrau", "Asia/Atyrau", 47.09, 51.92},
	{"aktau", "Asia/Aqtau", 43.65, 51.17},
	{"oral", "Asia/Oral", 51.23, 51.37},
	{"kostanay", "Asia/Qostanay", 53.21, 63.63},
	{"pavlodar", "Asia/Almaty", 52.29, 76.97},
	{"oskemen", "Asia/Almaty", 49.95, 82.62},
	{"semey", "Asia/Almaty", 50.41, 80.25},
	{"kyzylorda", "Asia/Qyzylorda", 44.85, 65.51},
	{"taraz", "Asia/Almaty", 42.90, 71.37},
	{"turkistan", "Asia/Almaty", 43.30, 68.25},
	{"moscow", "Europe/Moscow", 55.76, 37.62},
	{"spb", "Europe/Moscow", 59.94, 30.31},
	{"kazan", "Europe/Moscow", 55.79, 49.12},
	{"samara", "Europe/Samara", 53.20, 50.15},
	{"yekaterinburg", "Asia/Yekaterinburg", 56.84, 60.61},
	{"omsk", "Asia/Omsk", 54.99, 73.37},
	{"novosibirsk", "Asia/Novosibirsk", 55.03, 82.92},
	{"krasnoyarsk", "Asia/Krasnoyarsk", 56.01, 92.87},
	{"irkutsk", "Asia/Irkutsk", 52.29, 104.28},
	{"vladivostok", "Asia/Vladivostok", 43.12, 131.89},
	{"tashkent", "Asia/Tashkent", 41.30, 69.24},
	{"bishkek", "Asia/Bishkek", 42.87, 74.59},
	{"minsk", "Europe/Minsk", 53.90, 27.57},
}

func cityByID(id string) (city, bool) {
	for _, c := range cities {
		if c.ID == id {
			return c, true
		}
	}
	return city{}, false
}

// maxCityDistanceKm bounds how far a shared location may be from the nearest
// known city for its timezone to be trusted.
const maxCityDistanceKm = 600

// nearestCity returns the known city closest to a shared location, or false
// when every city is too far away to guess the timezone from.
func nearestCity(lat, lon float64) (city, bool) {
	best, bestD := city{}, math.MaxFloat64
	for _, c := range cities {
		if d := haversineKm(lat, lon, c.Lat, c.Lon); d < bestD {
			best, bestD = c, d
		}
	}
	return best, bestD <= maxCityDistanceKm
}

func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371
	rad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}
