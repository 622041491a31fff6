

app_name = "indicators"
urlpatterns: list = []
