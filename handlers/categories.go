package handlers

import (
	"context"
	"sort"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
)

// maxCategoryName is the longest name of a category, in characters.
const maxCategoryName = 40

func (h *Handlers) registerCategories() {
	h.b.Router.Callback(categoryAdd.route(), h.categoryCallback)
	h.b.Forms.Register(&bot.Form{
		Name: "category.add",
		Fields: []bot.Field{
			{Name: "name", Prompt: "category.ask.name", Label: "field.category",
				Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) {
					v := strings.TrimSpace(text)
					if v == "" || len([]rune(v)) > maxCategoryName {
						return "", crm.Invalid("name", "err.category_name", nil)
					}
					return v, nil
				}},
			{Name: "discount", Prompt: "category.ask.discount", Label: "field.discount",
				Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) {
					n, err := parseCategoryDiscount(text)
					if err != nil {
						return "", err
					}
					return strconv.Itoa(n), nil
				}},
		},
		Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
			n, err := parseCategoryDiscount(v["discount"])
			if err != nil {
				return err
			}
			c, err := h.book.Interactions.AddCategory(ctx, h.newConsultant(r), v["name"], n)
			if err != nil {
				return err
			}
			setTenant(r, c)
			return h.categoriesMenu(ctx, r)
		},
	})
}

// parseCategoryDiscount reads a discount in percent ("10" or "10%").
func parseCategoryDiscount(text string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(text), "%"))
	if err != nil || n < 0 || n > 100 {
		return 0, crm.Invalid("discount", "err.discount", nil)
	}
	return n, nil
}

func sortedCategories(cats map[string]int) []string {
	var names []string
	for n := range cats {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// categoriesMenu lists her customer categories and their discounts.
func (h *Handlers) categoriesMenu(ctx context.Context, r *bot.Request) error {
	type cat struct {
		Name     string
		Discount int
	}
	var cats []cat
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, n := range sortedCategories(tenantOf(r).Categories) {
		cats = append(cats, cat{n, tenantOf(r).Categories[n]})
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button("🗑 "+n, categoryDelete.data(book.CategoryID(n)))})
	}
	rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.add_category", nil), categoryAdd.data())})
	_, _ = h.b.Say(ctx, r, "category.menu", map[string]any{"Categories": cats}, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
	return nil
}

func (h *Handlers) categoryCallback(ctx context.Context, r *bot.Request) error {
	p := parsePress(r.Data)
	h.b.AnswerCallback(ctx, r, "")
	switch {
	case p.is(categoryAdd) && len(p.args) == 0:
		return h.b.Forms.Start(ctx, r, "category.add", nil)
	case p.is(categoryDelete) && len(p.args) == 1:
		c, err := h.book.Interactions.DeleteCategory(ctx, h.newConsultant(r), p.arg(0))
		if err != nil {
			return err
		}
		setTenant(r, c)
		h.clearKeyboard(ctx, r)
		return h.categoriesMenu(ctx, r)
	}
	return nil
}

// categoryDiscount is the discount of the customer's category, which a new
// order starts with.
func (h *Handlers) categoryDiscount(_ context.Context, r *bot.Request, c crm.Customer) int {
	return book.CategoryDiscount(tenantOf(r), c)
}
