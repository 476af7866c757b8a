"""Other renderings of the same metrics and figures: workbooks, PDFs, images, notebook HTML.

Nothing here computes a new number: workbook sheets come from the metrics
frames the HTML tables use, PDFs are the HTML reports printed with a print
stylesheet, images are the same plotly figures exported. Submodules are
imported on use, so a run that asks for no extra format loads none of them.
"""
