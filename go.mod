module github.com/crmbot/crmbot

go 1.26.8
