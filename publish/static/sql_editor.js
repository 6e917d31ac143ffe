/* The SQL editor of the database and query pages: Datasette's _codemirror_foot.html as a file
   (the portal's Content-Security-Policy refuses inline scripts), plus an accessible name for
   CodeMirror's input, taken from the form's label. Loaded with defer after CodeMirror,
   cm-resize and sql-formatter (templates/_codemirror.html). */
(function () {
  var sqlFormat = document.querySelector("button#sql-format");
  var readOnly = document.querySelector("pre#sql-query");
  var sqlInput = document.querySelector("textarea#sql-editor");
  if (sqlFormat && !readOnly) {
    sqlFormat.hidden = false;
  }
  if (sqlInput) {
    var editor = CodeMirror.fromTextArea(sqlInput, {
      lineNumbers: true,
      mode: "text/x-sql",
      lineWrapping: true,
    });
    editor.setOption("extraKeys", {
      "Shift-Enter": function () {
        document.getElementsByClassName("sql")[0].submit();
      },
      Tab: false,
    });
    if (sqlFormat) {
      sqlFormat.addEventListener("click", function () {
        editor.setValue(sqlFormatter.format(editor.getValue()));
      });
    }
    var label = document.querySelector('label[for="sql-editor"]');
    editor.getInputField().setAttribute("aria-label", label ? label.textContent : "SQL");
    cmResize(editor, { resizableWidth: false });
  }
  if (sqlFormat && readOnly) {
    var formatted = sqlFormatter.format(readOnly.innerHTML);
    if (formatted !== readOnly.innerHTML) {
      sqlFormat.hidden = false;
      sqlFormat.addEventListener("click", function () {
        readOnly.innerHTML = formatted;
      });
    }
  }
})();
