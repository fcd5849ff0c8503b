DROP TABLE rate_budgets;
