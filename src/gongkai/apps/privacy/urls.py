"""隐私审查 (mounted at /backoffice/privacy/)."""

from django.urls import path

from gongkai.apps.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("<int:pk>/", views.review_detail, name="review"),
    path("<int:pk>/mask-all/", views.review_mask_all, name="review_mask_all"),
    path("findings/<int:pk>/mask/", views.finding_mask, name="finding_mask"),
    path("findings/<int:pk>/override/", views.finding_override, name="finding_override"),
    path("checks/new/", views.check_create, name="check_new"),
    path("checks/<int:pk>/masked/", views.check_masked, name="check_masked"),
]
