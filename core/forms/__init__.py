from core.forms.fields import GOVUKDateField, GOVUKDateWidget
from core.forms.renderer import GOVUKFormRenderer

__all__ = ["GOVUKDateField", "GOVUKDateWidget", "GOVUKFormRenderer"]
